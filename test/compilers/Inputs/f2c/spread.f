C     The spread of the values so far, from the sums in STATE: their root
C     mean square.
      DOUBLE PRECISION FUNCTION SPREAD()
      INTEGER N
      DOUBLE PRECISION S, SQ
      COMMON /STATE/ S, SQ, N
      IF (N .EQ. 0) THEN
         SPREAD = 0
      ELSE
         SPREAD = SQRT(SQ / N)
      END IF
      END
