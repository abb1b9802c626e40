from lapor_hub.cli import main

raise SystemExit(main())
