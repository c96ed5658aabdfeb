"""Building blocks every feature may use. Nothing here imports a feature package."""
