from runbookgen.cli import main

main()
