"""Exports at the edge: the day's log to a USB stick or a phone, member cards to print. Kivy-free.

- ``media``  finding a USB stick (or the configured export folder) and writing files there atomically
- ``phone``  a one-time download link served on the kiosk's own network address
- ``cards``  printable sheets of member cards (PDF or PNG)
"""
