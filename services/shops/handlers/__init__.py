"""The seller's commands and reads. Each takes a session inside the caller's transaction.

Membership is always checked against this service's own ShopMember table: the token's
list of shops is only a hint, and a shop the caller is not a member of does not exist.
"""
