"""Facts extracted from wikitext: citations, identifiers and their normalized forms."""
