"""Calendar downloads (.ics) and each person's private calendar feed."""
