"""Pricing a request from the rate sheet and projecting a plan month by month."""
