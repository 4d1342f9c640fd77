"""Product modules: each plugs into the Core through contracts and can be switched off instantly."""
