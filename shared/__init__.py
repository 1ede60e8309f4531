"""Code that two or more Twoshot services use: the event contract, the Kafka and
Redis adapters, configuration, logging and security helpers."""
