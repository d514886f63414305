import DLNEngine
print("dlntui")
