"""The team web interface: server-rendered pages over the campaign, mail, review and findings
services (docs/web.md). Views stay thin; the work is done by the packages they call."""
