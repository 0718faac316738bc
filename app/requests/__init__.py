"""Information request pages."""
