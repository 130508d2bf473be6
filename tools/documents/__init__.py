"""Citizens' documents: intake, encrypted storage, OCR and checks."""
