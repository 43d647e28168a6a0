"""The performance harness (``make bench``): national-scale data, a production-like server,
loopback load against the framework floor, PDFs and memory. Not part of ``make test``;
see docs/performance.md."""
