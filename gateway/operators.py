"""The platform's operators: accounts made from the command line, never by signing up.

python -m services.common.manage gateway create-operator EMAIL [--name NAME]

The password is asked for twice (or read from standard input with --password-stdin, for
scripts). An operator's account is an account of its own: an address that already has a
shopper's or a seller's account is refused, so that an operator is never a member of a
shop, and a shop's member never an operator.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway import accounts
from gateway.db import User


class OperatorRefused(Exception):
    pass


def create_operator(session: Session, *, email: str, name: str, password: str) -> User:
    email = accounts.check_email(email)
    name = accounts.check_display_name(name)
    accounts.check_password(password, about=(email, name))
    if session.scalar(select(User.id).where(User.email == email)) is not None:
        raise OperatorRefused(
            f"{email} already has an account: an operator needs an address of its own, "
            "so that it is never a shopper or a member of a shop"
        )
    user = User(
        email=email,
        display_name=name,
        password_hash=accounts.hash_password(password),
        # Made by someone at the machine who chose the address: nothing to confirm.
        email_verified=True,
        session_version=1,
        revision=1,
        is_operator=True,
    )
    session.add(user)
    session.flush()
    return user


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("email")
    parser.add_argument("--name", default="Platform operator")
    parser.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )


def run(args: argparse.Namespace) -> None:
    from sqlalchemy.orm import sessionmaker

    from gateway.config import Settings
    from services.common.db import make_engine

    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Password: ")
        if getpass.getpass("Password again: ") != password:
            raise SystemExit("the two passwords differ: nothing was created")
    engine = make_engine(Settings().resolved_database_url())
    try:
        with sessionmaker(engine).begin() as session:
            user = create_operator(session, email=args.email, name=args.name, password=password)
            print(f"operator {user.email} created: sign in, then open /admin/")
    except (OperatorRefused, accounts.AccountRuleBroken) as error:
        raise SystemExit(str(getattr(error, "message", error))) from error
    finally:
        engine.dispose()
