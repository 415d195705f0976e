"""The tavolo di coordinamento: meetings, their agenda, outcomes and minutes' data."""
