"""PDF reports to download: a school's year for its governing body, and a triad's schools side by side."""
