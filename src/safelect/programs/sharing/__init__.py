"""Information sharing (S.2261 §4(a)–(g); H.R. 5011 §202): information received, the sharing
decision and its clock, written withholding, products with TLP 2.0 labels and STIX 2.1 content,
audiences resolved and recorded per share, subscriptions, and threat notices to chief State
election officials. See the README's status table for what is built and what is planned."""
