"""The plan's records: workloads, rates, capacity and assumptions, and the money, months and findings they use."""
