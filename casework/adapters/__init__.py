"""Outbound ports: how casework talks to the world (mail), chosen from Settings."""
