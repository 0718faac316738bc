"""Clusters: the programme lead groups schools in clusters and names their leads; cluster leads follow
their schools' Whole School SEND Reviews, hold termly meetings and ask the schools for information."""
