#!/usr/bin/env python3
"""An Uber payments export of N rows, shaped like the fleet portal's
(UTF-8 with BOM, quoted, the flattened header with mixed " : " and ":"),
for the import benchmark: gen-uber-payments.py N FILE [SEED].  Files of
different seeds share no transaction."""
import random
import sys
import uuid

HEADER = ('"Transaction UUID","Driver UUID","Driver first name","Driver surname",'
          '"Trip UUID","Description","Org alias","Date/Time","Paid to you",'
          '"Paid to you : Your earnings","Paid to you:Your earnings:Fare",'
          '"Paid to you : Your earnings : Tip","Paid to you:Your earnings:Service fee",'
          '"Paid to you : Trip balance : Payouts : Cash collected",'
          '"Paid to you:Trip balance:Refunds:Toll",'
          '"Paid to you:Trip balance:Expenses:Toll adjustment"\r\n')
SPAN = 28 * 86400
NAMES = [("Amine", "Benali"), ("Chloé", "Martin"), ("Yanis", "Ferreira"),
         ("Inès", "Faure"), ("Karim", "Haddad")]


def when(i, n, rnd):
    """Trips spread over four weeks in the order of the file, at the
    second, as a real export's are (not a few hundred repeated instants:
    those would make the time indexes' work unlike a real import's)."""
    s = i * SPAN // n + rnd.randint(0, 59)
    day, s = divmod(s, 86400)
    return f"2026-10-{1 + day:02d} {s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"


def euros(cents):
    return f"{cents / 100:.2f}"


def main():
    n, path = int(sys.argv[1]), sys.argv[2]
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 42
    fleet = random.Random(42)    # the same 300 drivers in every file
    drivers = [str(uuid.UUID(int=fleet.getrandbits(128))) for _ in range(300)]
    rnd = random.Random(seed) if seed != 42 else fleet
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write("\ufeff" + HEADER)
        for i in range(n):
            d = i % 300
            first, last = NAMES[d % 5]
            fare = rnd.randint(800, 6000)
            tip = rnd.choice((0, 0, 0, 100, 200, 500))
            fee = -(fare * 25 // 100)
            earned = fare + tip + fee
            cash = -fare if i % 7 == 0 else 0
            toll = rnd.choice((0, 0, 0, 0, 420))
            f.write(f'"{uuid.UUID(int=rnd.getrandbits(128))}","{drivers[d]}","{first}","{last}",'
                    f'"{uuid.UUID(int=rnd.getrandbits(128))}","trip completed order",'
                    f'"Flotte Démo, Paris","{when(i, n, rnd)}",'
                    f'{euros(earned + cash + toll)},{euros(earned)},{euros(fare)},{euros(tip)},'
                    f'{euros(fee)},{euros(cash)},{euros(toll)},0.00\r\n')


if __name__ == "__main__":
    main()
