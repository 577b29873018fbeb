"""The till's screens; other areas add theirs here and register them in pos.tui.menu."""
