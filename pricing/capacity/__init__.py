"""Capacity and modes: dedicated endpoints and GPU clusters, break-even, and which mode a workload belongs on."""
