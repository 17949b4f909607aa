"""The buyer's side of the storefront as plain Python: no Flask, SQLAlchemy, pika or HTTP.

- money: amounts in minor units, refusing to add two currencies.
- cart: what the buyer put in the cart, and how it compares with what shops offer now.
- order: the Order aggregate, one ShopOrderPart per shop, and the part's status rules.
"""
