"""Vendor clients for Smart Access: plain async Python, no Home Assistant imports."""
