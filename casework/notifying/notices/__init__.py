"""The words of each notice and email: what happened, what it means, what to do next, on what authority."""
