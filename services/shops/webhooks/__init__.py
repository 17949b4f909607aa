"""Webhooks: a shop's own system is told of its events over HTTP.

The shops service owns them: the events a shop hears of (its orders, the extra charges'
answers) are already applied here, so each delivery is written in the very transaction
that applies its event, and the `shops-webhooks` process sends them.
"""
