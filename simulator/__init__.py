"""Simulated RemoteLock and Bikeep clouds for tests, benchmarks and scripts/develop."""
