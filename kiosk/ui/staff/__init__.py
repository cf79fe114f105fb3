"""Staff mode: the PIN pad and the staff pages (one ``.py`` + ``.kv`` pair each), and :class:`StaffMode`,
which the app calls into (``app.staff``) and the pages call for everything they do."""
