"""runbookgen: runbooks as code for Prometheus and Loki alerting."""

__version__ = "0.1.0"
