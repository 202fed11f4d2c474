"""The full-scale Kun District (昆区) of the source report, loaded through the services' APIs."""
