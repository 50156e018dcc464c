"""The inbox: what needs a medewerker's attention now, gathered from every area (one source per
kind of item, `lezen.BRONNEN`), within need-to-know."""
