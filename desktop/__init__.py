"""The Qt shell of Token Budget: it adapts the pure ``pricing`` core to windows and grids."""
