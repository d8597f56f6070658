"""nbody workload, Python implementation.

The classic 5-body simulation of the Jovian planets (Sun, Jupiter, Saturn,
Uranus, Neptune) with a simple symplectic-Euler step over every pair of
bodies. The kernel builds the system and returns the energy before and after
`size` steps of DT as two numbers with 9 decimals separated by one space.
"""

import math
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "protocol", "python"))
from langbench_protocol import main  # noqa: E402

# Units are astronomical units, years and solar masses, so G * M_sun = 4 pi^2.
SOLAR_MASS = 4 * math.pi * math.pi
# The initial velocities below are given in AU per day.
DAYS_PER_YEAR = 365.24
# Time step of one simulation step, in years.
DT = 0.01


class Body:
    """One body: position, velocity and mass (mass already multiplied by G)."""

    __slots__ = ("x", "y", "z", "vx", "vy", "vz", "mass")

    def __init__(self, x, y, z, vx, vy, vz, mass):
        self.x = x
        self.y = y
        self.z = z
        self.vx = vx
        self.vy = vy
        self.vz = vz
        self.mass = mass


def planet(pos, vel, mass):
    """A planet from the standard initial conditions, converting velocities
    from AU/day to AU/year and masses from solar masses to G-scaled units."""
    return Body(
        pos[0],
        pos[1],
        pos[2],
        vel[0] * DAYS_PER_YEAR,
        vel[1] * DAYS_PER_YEAR,
        vel[2] * DAYS_PER_YEAR,
        mass * SOLAR_MASS,
    )


def initial_bodies():
    """The five bodies with the standard initial conditions, Sun first and at rest."""
    # The literals are the published initial conditions, digit for digit,
    # written the same way in all four implementations.
    return [
        # Sun
        Body(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, SOLAR_MASS),
        # Jupiter
        planet(
            (4.84143144246472090e00, -1.16032004402742839e00, -1.03622044471123109e-01),
            (1.66007664274403694e-03, 7.69901118419740425e-03, -6.90460016972063023e-05),
            9.54791938424326609e-04,
        ),
        # Saturn
        planet(
            (8.34336671824457987e00, 4.12479856412430479e00, -4.03523417114321381e-01),
            (-2.76742510726862411e-03, 4.99852801234917238e-03, 2.30417297573763929e-05),
            2.85885980666130812e-04,
        ),
        # Uranus
        planet(
            (1.28943695621391310e01, -1.51111514016986312e01, -2.23307578892655734e-01),
            (2.96460137564761618e-03, 2.37847173959480950e-03, -2.96589568540237556e-05),
            4.36624404335156298e-05,
        ),
        # Neptune
        planet(
            (1.53796971148509165e01, -2.59193146099879641e01, 1.79258772950371181e-01),
            (2.68067772490389322e-03, 1.62824170038242295e-03, -9.51592254519715870e-05),
            5.15138902046611451e-05,
        ),
    ]


def offset_momentum(bodies):
    """Gives the Sun the velocity that makes the total momentum zero, so the
    centre of mass stays put."""
    px = py = pz = 0.0
    for b in bodies:
        px += b.vx * b.mass
        py += b.vy * b.mass
        pz += b.vz * b.mass
    sun = bodies[0]
    sun.vx = -px / SOLAR_MASS
    sun.vy = -py / SOLAR_MASS
    sun.vz = -pz / SOLAR_MASS


def energy(bodies):
    """Total energy: kinetic energy of every body minus the potential of every pair."""
    e = 0.0
    n = len(bodies)
    for i in range(n):
        bi = bodies[i]
        e += 0.5 * bi.mass * (bi.vx * bi.vx + bi.vy * bi.vy + bi.vz * bi.vz)
        for j in range(i + 1, n):
            bj = bodies[j]
            dx = bi.x - bj.x
            dy = bi.y - bj.y
            dz = bi.z - bj.z
            e -= bi.mass * bj.mass / math.sqrt(dx * dx + dy * dy + dz * dz)
    return e


def advance(bodies, dt):
    """One time step: update velocities from the force of every pair, then
    move every body along its new velocity."""
    n = len(bodies)
    for i in range(n):
        bi = bodies[i]
        for j in range(i + 1, n):
            bj = bodies[j]
            dx = bi.x - bj.x
            dy = bi.y - bj.y
            dz = bi.z - bj.z
            d2 = dx * dx + dy * dy + dz * dz
            mag = dt / (d2 * math.sqrt(d2))
            mj = bj.mass * mag
            bi.vx -= dx * mj
            bi.vy -= dy * mj
            bi.vz -= dz * mj
            mi = bi.mass * mag
            bj.vx += dx * mi
            bj.vy += dy * mi
            bj.vz += dz * mi
    for b in bodies:
        b.x += dt * b.vx
        b.y += dt * b.vy
        b.z += dt * b.vz


def format_result(e0, e1):
    """Formats the energies before and after as the canonical result."""
    return f"{e0:.9f} {e1:.9f}"


def kernel(size):
    """The workload kernel: fresh system, energy, `size` steps, energy again."""
    bodies = initial_bodies()
    offset_momentum(bodies)
    e0 = energy(bodies)
    for _ in range(size):
        advance(bodies, DT)
    e1 = energy(bodies)
    return format_result(e0, e1)


if __name__ == "__main__":
    main(kernel)
