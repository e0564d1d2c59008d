"""What the "is this a scam?" check reads in pasted text: links, numbers, look-alike domains."""
