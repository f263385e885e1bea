"""Fleet provisioning: the server admins use (``server``) and the agent in each kiosk."""
