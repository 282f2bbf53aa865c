"""Telling people: who must be told (recipients), the words (notices), emails and letters (deliveries,
letters), daily digests, and the providers' callbacks."""
