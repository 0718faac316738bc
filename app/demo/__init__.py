"""The demo programme and the scale data."""
