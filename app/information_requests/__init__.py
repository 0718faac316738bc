"""Information requests to schools and their answers."""
