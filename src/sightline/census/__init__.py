"""Exposure census: find Hikvision and Dahua devices in internet-scan exports and count them.

Reads exports others produced (Shodan, Censys, ZGrab2, masscan, nmap); it never scans anyone.
"""
