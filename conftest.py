pytest_plugins = ["bella_core.testing.fixtures"]
