"""The complaint API's side of the wire: our HTTP client (the gateway adapter), the request
validation, and the reference server that stands in for the real system here."""
