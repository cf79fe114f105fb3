"""One ``.py`` + ``.kv`` pair per kind of screen. Flow screens are generic and driven by kiosk.ui.flows."""
