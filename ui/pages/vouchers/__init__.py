"""创新券: grants with their uses and redemptions, batch notices, providers, rules per year, summaries, expiry."""
