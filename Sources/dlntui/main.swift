import DLNCommands

DLNTUI.main()
