"""Bijlagen: documents on a casus (upload, list, download, delete), typed by their content,
stored in the database, seen by the casusteam only."""
