"""Action plan pages: drafting, finalising, versions, progress and exports."""
