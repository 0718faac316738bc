"""The celebration of learning: triads share key learnings, the lead tags them, everyone finds them in the library."""
