"""The department's side: officers decide applications; department systems plug in here."""
