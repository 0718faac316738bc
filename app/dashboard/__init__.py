"""The programme lead's locality dashboard."""
