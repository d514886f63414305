import DLNEngine
