"""The application database: tables, engine, sequences and migrations."""
