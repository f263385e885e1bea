"""The fleet agent that runs inside each kiosk. Not built yet."""
