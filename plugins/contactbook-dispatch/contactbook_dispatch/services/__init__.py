"""The rules of dispatch: sending, reading, confirming, replying, following up."""
